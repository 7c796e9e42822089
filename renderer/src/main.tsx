import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import './styles/index.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element.');

if (window.parley === undefined) {
  // Opened in a plain browser (or the preload failed): say so instead of showing a broken window.
  container.textContent = "This page is Parley's window and needs the Parley app around it. Start Parley itself, or open preview.html for the design preview.";
} else {
  createRoot(container).render(
    <StrictMode>
      <App api={window.parley} />
    </StrictMode>,
  );
}
