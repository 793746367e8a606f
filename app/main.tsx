/**
 * Entry point: reads the link into the store, starts the data, backend and run synchronisation,
 * installs the keyboard shortcuts, then renders.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startDataSync } from './data/data-controller';
import { installKeyboardShortcuts } from './keyboard';
import { startPersistence } from './persist/persist-controller';
import { startRunSync } from './run/run-sync';
import { startUrlSync } from './store/url-sync';
import './styles.css';

startUrlSync();
startDataSync();
startRunSync();
// After the data sync: it restores the uploaded CSV a link asks for from this browser's storage.
startPersistence();
installKeyboardShortcuts();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
