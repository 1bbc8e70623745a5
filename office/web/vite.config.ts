import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// During `npm run dev`, API calls are proxied to a running truc-office.
// Set TRUC_OFFICE_URL (default https://127.0.0.1:8444) to point elsewhere.
const officeUrl = process.env.TRUC_OFFICE_URL ?? 'https://127.0.0.1:8444';

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    proxy: {
      '/office/api': {
        target: officeUrl,
        changeOrigin: true,
        secure: false,
      },
    },
  },
  build: {
    chunkSizeWarningLimit: 1500,
  },
});
