#!/usr/bin/env bash
# Makes the PDFs of tests/fixtures/pdf/ with real tools from Debian's packages (pdflatex from
# texlive-latex-base with lmodern; ghostscript; qpdf): papers with known text on known pages, an
# arXiv id or a DOI, Unicode and ligatures, two columns; and hostile files. The outputs are
# committed (the Rust tests read them from a clone alone); this script says how they were made
# and remakes them byte for byte (SOURCE_DATE_EPOCH, a fixed trailer id, qpdf's static ids).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=tests/fixtures/pdf
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export SOURCE_DATE_EPOCH=1700000000 FORCE_SOURCE_DATE=1

# Filler prose: deterministic sentences, so pages fill without a package (lipsum is not in
# texlive-latex-base). Two ligature-rich words per sentence.
filler() {
  python3 - "$1" "$2" <<'PY'
import sys
seed, n = int(sys.argv[1]), int(sys.argv[2])
words = ["efficient", "affine", "flow", "fine-tuning", "attention", "layers", "gradient",
         "office", "coefficient", "reflection", "baseline", "training", "adapters", "rank",
         "matrices", "benchmark", "final", "fluent", "difficult", "offline"]
out = []
x = seed
for s in range(n):
    ws = []
    for k in range(14):
        x = (x * 1103515245 + 12345) % (2**31)
        ws.append(words[x % len(words)])
    out.append(" ".join(ws).capitalize() + ".")
print(" ".join(out))
PY
}

tex() { # name: runs pdflatex on $WORK/$1.tex, twice for stable layout
  (cd "$WORK" && pdflatex -interaction=nonstopmode -halt-on-error "$1.tex" >/dev/null && \
   pdflatex -interaction=nonstopmode -halt-on-error "$1.tex" >/dev/null)
  cp "$WORK/$1.pdf" "$OUT/$1.pdf"
}

PREAMBLE='\pdftrailerid{}\input{glyphtounicode}\pdfgentounicode=1
\usepackage[T1]{fontenc}\usepackage[utf8]{inputenc}\usepackage{lmodern}\usepackage{graphicx}'

cat > "$WORK/arxiv-paper.tex" <<TEX
\documentclass[twocolumn]{article}
$PREAMBLE
\pdfinfo{/Title (Low-Rank Adaptation of Large Language Models) /Author <FEFF0041006E00610020004D00FC006C006C00650072003B0020004A00F600720067002000570065006900DF>}
\AddToHookNext{shipout/background}{\put(30,-620){\rotatebox{90}{\Large arXiv:2106.09685v2 [cs.CL] 16 Oct 2021}}}
\title{\Huge Low-Rank Adaptation of Large Language Models}
\author{Ana Müller \and Jörg Weiß}
\date{}
\begin{document}
\twocolumn[\maketitle\begin{abstract}We propose an efficient affine flow for fine-tuning
large models with frozen weights. Café naïve résumé: Unicode letters é ü ß and Greek \$\alpha\$.
\end{abstract}\vspace{1em}]
\section{Introduction}
$(filler 1 18)
\clearpage
\section{Method}
The zygomorphic adapter is the heart of our method. $(filler 2 30)
\clearpage
\section{Experiments}
A quokka appears in every experiment. $(filler 3 12)
\begin{thebibliography}{9}
\bibitem{a} A. Vaswani et al. Attention is all you need. arXiv:1706.03762, 2017.
\bibitem{b} K. He et al. Deep residual learning. doi:10.1109/CVPR.2016.90.
\end{thebibliography}
\end{document}
TEX
tex arxiv-paper

cat > "$WORK/doi-paper.tex" <<TEX
\documentclass{article}
$PREAMBLE
\pdfinfo{/Title (ImageNet Classification with Deep Convolutional Neural Networks) /Subject (Communications of the ACM, doi:10.1145/3065386)}
\begin{document}
\noindent\small DOI: 10.1145/3065386\hfill Communications of the ACM\normalsize
\begin{center}{\LARGE ImageNet Classification with Deep Convolutional Neural Networks}\\\\[1em]
Alex Krizhevsky, Ilya Sutskever, Geoffrey E. Hinton\end{center}
$(filler 4 16)
\end{document}
TEX
tex doi-paper

cat > "$WORK/no-id.tex" <<TEX
\documentclass{article}
$PREAMBLE
\pdfinfo{/Title (Microsoft Word - draft3.docx)}
\pagestyle{empty}
\begin{document}
\begin{center}{\Huge Sparse Mixtures of Experts for Tabular Data}\\\\[1.5em]
{\large Priya Raman and Tomás Ibarra}\\\\[0.5em]University of Somewhere\end{center}
$(filler 5 20)
\end{document}
TEX
tex no-id

# A page with no text layer: the DOI paper rendered to an image.
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfimage24 -r72 -o "$OUT/image-only.pdf" "$OUT/doi-paper.pdf"
# Encrypted with a user password (AES-256). This file and the image-only one differ from run to
# run (a random file key; ghostscript's dates); the others are remade byte for byte.
qpdf --static-id --static-aes-iv --encrypt secret owner 256 -- "$OUT/doi-paper.pdf" "$OUT/encrypted.pdf"
# Cut in half: a download that stopped.
size=$(stat -c %s "$OUT/arxiv-paper.pdf")
head -c $((size / 2)) "$OUT/arxiv-paper.pdf" > "$OUT/truncated.pdf"
: > "$OUT/empty.pdf"
printf '<!DOCTYPE html>\n<html><body>Access denied: log in to download this PDF.</body></html>\n' > "$OUT/not-a-pdf.pdf"
ls -l "$OUT"
