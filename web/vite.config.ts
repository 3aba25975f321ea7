import { defineConfig } from 'vite';

// The app is built into dist/web and served by `frontline serve`; every asset comes from there.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: './',
  build: {
    outDir: new URL('../dist/web/', import.meta.url).pathname,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // Three pages: the map, reports to events (extraction and review), the stabilization board.
    rollupOptions: { input: { main: new URL('./index.html', import.meta.url).pathname, extract: new URL('./extract.html', import.meta.url).pathname, stabilize: new URL('./stabilize.html', import.meta.url).pathname } },
  },
});
