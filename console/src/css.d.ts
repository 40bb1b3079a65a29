// esbuild bundles imported style sheets into the page's own .css file.
declare module '*.css';
