// pdf.js, loaded only when a file is first read (it is large; the list does not wait for it).
// Its worker is bundled by Vite and served from the app itself, as the CSP wants.

import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

export { pdfjs };
