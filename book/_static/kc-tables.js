/* Sortable, filterable tables (the claims ledger and others) without any library.
   Sorting uses buttons in the column headers and keeps aria-sort up to date; the filter
   is a labelled search box. With JavaScript off the table is still complete. */
(function () {
  "use strict";
  function cellText(row, index) {
    var cell = row.children[index];
    return cell ? cell.textContent.trim() : "";
  }
  function compare(a, b) {
    var na = parseFloat(a.replace(/,/g, "")), nb = parseFloat(b.replace(/,/g, ""));
    if (!isNaN(na) && !isNaN(nb) && /^[-\d.,]+$/.test(a) && /^[-\d.,]+$/.test(b)) { return na - nb; }
    return a.localeCompare(b);
  }
  function setup(wrapper) {
    var table = wrapper.querySelector("table");
    var tbody = table.tBodies[0];
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, index) {
      var button = th.querySelector("button.kc-sort");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(tbody.rows);
        rows.sort(function (r1, r2) {
          var c = compare(cellText(r1, index), cellText(r2, index));
          return ascending ? c : -c;
        });
        rows.forEach(function (row) { tbody.appendChild(row); });
      });
    });
    var input = wrapper.querySelector("input.kc-filter");
    var status = wrapper.querySelector(".kc-filter-status");
    if (input) {
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        var shown = 0;
        Array.prototype.forEach.call(tbody.rows, function (row) {
          var match = !needle || row.textContent.toLowerCase().indexOf(needle) !== -1;
          row.hidden = !match;
          if (match) { shown += 1; }
        });
        if (status) { status.textContent = shown + " of " + tbody.rows.length + " rows shown"; }
      });
    }
    wrapper.classList.add("kc-ready");
  }
  function init() { document.querySelectorAll(".kc-sortable").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
