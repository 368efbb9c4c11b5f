import { defineConfig } from 'vitest/config';

// The build lands in target/ so that Maven packages it and `mvn clean` removes it; nothing built is committed.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'target/dist',
    emptyOutDir: true,
    // ECharts alone is ~500 kB minified even tree-shaken; a separate chunk keeps the app's own code small and cacheable.
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: { manualChunks: (id: string) => (id.includes('node_modules') ? 'vendor' : undefined) },
    },
  },
  server: {
    // `npm run dev` against a running platform: the API keeps its cookie on the same origin through the proxy.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
