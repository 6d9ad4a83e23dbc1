# Two commands do all the set-up on a fresh machine (Debian, Python 3.11, root):
#   make book   builds the HTML book      make test   runs every test
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
BUILD_DIR := _build
HTML := _build/html
PORT ?= 8000
JB_FLAGS := --config book/_config.yml --toc book/_toc.yml --path-output .
# Figures carry the book's accessible, CDN-free HTML (and its rule that every chart has alt
# text) only where the book is built or tested; never in the learner's JupyterLab.
BOOK_ENV := KABULCASE_RENDERER=book
export PYTHONDONTWRITEBYTECODE := 1

PDF := _build/cameras-over-kabul.pdf
# The smallest Debian TeX set that builds the PDF with pdflatex (about 350 MB).
TEX_PACKAGES := latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended tex-gyre

.PHONY: help book test pdf bench serve lab clean chromium tex notebooks sandbox

help:
	@echo "make book    build the HTML book into $(HTML) (creates $(VENV) first)"
	@echo "             LANG=fa: the Dari edition into $(HTML)/fa (LANG=ps: Pashto)"
	@echo "make test    set up the test tools and run the whole test suite"
	@echo "make pdf     build the PDF book into $(PDF) (installs Debian TeX packages if missing)"
	@echo "make bench   print build times, notebook times, page weights, Lighthouse scores"
	@echo "make serve   serve the built book on http://127.0.0.1:$(PORT)"
	@echo "make lab     JupyterLab for learners: chapters and student copies of the exercises in lab/"
	@echo "make clean   remove the build, the execution cache and generated files"
	@echo "make release student and instructor notebooks of the exercises in release/ (FORCE=1 replaces one)"
	@echo "make grade   run and score submitted notebooks, each in a sandbox: make grade SUBMISSIONS=folder"
	@echo "             [JOBS=N (default every core)] [TIMEOUT=120] [OUT=folder] [HIDDEN=dir] [RERUN=student]"
	@echo "make lms     Canvas, Moodle and Gradescope grade files: make lms RESULTS=... ROSTER=... [MARKS=...]"
	@echo "make marking written answers for marking by hand (make marks MARKS=... reads them back)"
	@echo "make otter-export  each exercise set in otter-grader's format, with otter assign run on it"
	@echo "make links   the nbgitpuller link of each exercise set: make links HUB=https://..."

$(BIN)/.book-installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.dev-installed: $(BIN)/.book-installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# From npm, at the versions in package-lock.json: the plotly.js bundle the site serves
# (dependencies), and the browser-side test tools axe-core and Lighthouse (devDependencies).
node_modules/.book-installed: package.json package-lock.json
	test -f node_modules/.dev-installed || npm ci --omit=dev --no-audit --no-fund --loglevel=error
	touch $@

node_modules/.dev-installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@ node_modules/.book-installed

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The grader isolates each submission with Debian's bubblewrap (and prlimit/setpriv from util-linux).
sandbox:
	@command -v bwrap >/dev/null && command -v prlimit >/dev/null && command -v setpriv >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap util-linux >/dev/null; }

tex:
	@command -v latexmk >/dev/null && kpsewhich tgtermes.sty >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES) >/dev/null; }

# Charts become vector PDFs through kaleido and Debian's chromium (KABULCASE_STATIC=1).
pdf: $(BIN)/.dev-installed node_modules/.book-installed chromium tex
	$(BOOK_ENV) KABULCASE_STATIC=1 KABULCASE_HIDE_SOLUTIONS=1 $(BIN)/jupyter-book build . --config book/_config.yml --toc book/_toc.yml --path-output $(BUILD_DIR)/pdf --builder pdflatex
	cp $(BUILD_DIR)/pdf/_build/latex/book.pdf $(PDF)
	@echo
	@echo "The PDF is $(abspath $(PDF))"

# make book LANG=fa builds the Dari edition into $(HTML)/fa (book/locales/README.md). Only a
# LANG given on the command line counts: the locale variable in the environment does not,
# and the build itself runs in the C.UTF-8 locale either way.
EDITION := $(if $(filter command line,$(origin LANG)),$(LANG),)

book: $(BIN)/.book-installed node_modules/.book-installed
ifeq ($(EDITION),)
	$(BOOK_ENV) $(BIN)/jupyter-book build . $(JB_FLAGS) --builder html -W --keep-going
	@echo
	@echo "The book is in $(abspath $(HTML))/index.html"
else
	LANG=C.UTF-8 $(BOOK_ENV) $(BIN)/python -m kabulcase.editions build $(EDITION)
endif
	@echo "Serve it with:  make serve   (then open http://127.0.0.1:$(PORT)/)"

# nbval runs on .ipynb files: the MyST-markdown sources are converted into _build/nbval.
notebooks: $(BIN)/.book-installed
	rm -rf $(BUILD_DIR)/nbval
	for f in chapters/*.md exercises/*.md; do \
	  [ -e "$$f" ] || continue; \
	  mkdir -p "$(BUILD_DIR)/nbval/$$(dirname $$f)"; \
	  $(BIN)/jupytext --quiet --to ipynb --output "$(BUILD_DIR)/nbval/$${f%.md}.ipynb" "$$f" || exit 1; \
	done

test: $(BIN)/.dev-installed node_modules/.dev-installed chromium tex sandbox notebooks $(BUILD_DIR)/otter-venv/.installed
	$(BOOK_ENV) $(BIN)/python -m pytest -p no:cacheprovider --durations=15 -n auto --maxprocesses 4 --dist loadgroup --nbval-lax tests $(BUILD_DIR)/nbval

# Figures, not pass/fail: timings and sizes vary with the machine.
bench: $(BIN)/.dev-installed node_modules/.dev-installed chromium sandbox
	$(BOOK_ENV) $(BIN)/python benchmarks/bench_models.py
	$(BOOK_ENV) $(BIN)/python benchmarks/bench_book.py
	$(BIN)/python benchmarks/bench_lab.py
	$(BIN)/python benchmarks/bench_grade.py

serve:
	@test -f $(HTML)/index.html || { echo "No built book in $(HTML): run 'make book' first."; exit 1; }
	$(BIN)/python benchmarks/serve.py $(HTML) --port $(PORT)

# The learner's lab: chapters and the exercises' student copies in lab/ (never overwritten),
# rendered by jupyterlab-myst, with no book-build switches in the kernels' environment.
lab: $(BIN)/.book-installed
	$(BIN)/python -m kabulcase.lab

clean:
	rm -rf $(BUILD_DIR) book/_generated
	@test ! -d lab || echo "Kept lab/ (your own copies of the notebooks); delete it by hand to start afresh."

.PHONY: release grade

# Student copies (no solutions, no hidden checks, outputs cleared) and instructor copies of
# exercises/*.md; an existing release is never overwritten unless FORCE=1.
release: $(BIN)/.book-installed
	$(BIN)/python -m kabulcase.release --out release $(if $(FORCE),--force)

# Runs each submitted notebook in its own sandboxed kernel (JOBS at once, default every core),
# scores the exported answers outside it, and writes results.jsonl, grades.csv and one
# feedback file per submission, by default into SUBMISSIONS-graded next to the folder.
grade: $(BIN)/.book-installed sandbox
	@test -n "$(SUBMISSIONS)" || { echo "Usage: make grade SUBMISSIONS=folder [JOBS=N] [TIMEOUT=120] [OUT=folder] [HIDDEN=dir] [RERUN=student]"; exit 2; }
	$(BIN)/python -m kabulcase.grade "$(SUBMISSIONS)" $(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(OUT),--out "$(OUT)") $(if $(JOBS),--jobs $(JOBS)) $(if $(HIDDEN),--hidden "$(HIDDEN)") $(if $(RERUN),--rerun "$(RERUN)")

# The instructor's side (kabulcase.instructor; see the instructor guide). RESULTS is the
# results.jsonl the grader writes; ROSTER the instructor's student-id map.
.PHONY: lms marking marks otter-export otter-venv links

lms: $(BIN)/.book-installed
	@test -n "$(RESULTS)" -a -n "$(ROSTER)" || { echo "Usage: make lms RESULTS=.../results.jsonl ROSTER=roster.csv [MARKS=marks.csv] [OUT=folder]"; exit 2; }
	$(BIN)/python -m kabulcase.instructor lms "$(RESULTS)" --roster "$(ROSTER)" $(if $(MARKS),--marks "$(MARKS)") $(if $(OUT),--out "$(OUT)")

marking: $(BIN)/.book-installed
	@test -n "$(RESULTS)" || { echo "Usage: make marking RESULTS=.../results.jsonl [OUT=folder]"; exit 2; }
	$(BIN)/python -m kabulcase.instructor marking "$(RESULTS)" $(if $(OUT),--out "$(OUT)")

marks: $(BIN)/.book-installed
	@test -n "$(RESULTS)" -a -n "$(MARKS)" || { echo "Usage: make marks RESULTS=.../results.jsonl MARKS=marks.csv [OUT=file]"; exit 2; }
	$(BIN)/python -m kabulcase.instructor marks "$(RESULTS)" --marks "$(MARKS)" $(if $(OUT),--out "$(OUT)")

# otter-grader in its own environment, never in the book's .venv; the module's package is
# reached through a .pth file that points at this checkout.
OTTER_VENV := $(BUILD_DIR)/otter-venv
$(OTTER_VENV)/.installed: requirements-otter.txt
	test -x $(OTTER_VENV)/bin/python || $(PYTHON) -m venv $(OTTER_VENV)
	$(OTTER_VENV)/bin/python -m pip install --quiet -r requirements-otter.txt
	echo "$(CURDIR)" > "$$($(OTTER_VENV)/bin/python -c 'import site; print(site.getsitepackages()[0])')/kabulcase-repo.pth"
	touch $@

otter-venv: $(OTTER_VENV)/.installed

# Master notebooks for otter assign in otter/exNN/, then the student notebook and the
# Gradescope autograder zip in otter/exNN/dist/.
otter-export: $(BIN)/.book-installed $(OTTER_VENV)/.installed
	$(BIN)/python -m kabulcase.instructor otter --out otter
	for d in otter/ex*/; do (cd "$$d" && $(abspath $(OTTER_VENV))/bin/otter assign "$$(basename $$d).ipynb" dist) || exit 1; done

links: $(BIN)/.book-installed
	@test -n "$(HUB)" || { echo "Usage: make links HUB=https://your-hub.example.edu"; exit 2; }
	$(BIN)/python -m kabulcase.instructor links --hub "$(HUB)"
