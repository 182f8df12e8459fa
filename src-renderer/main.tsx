// Renderer entry. The React refresh preamble is imported as a module (not the inline <script>
// the plugin would inject) so the CSP can keep `script-src 'self'` in dev; in a build it is empty.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import { App } from './App';
import './styles.css';
import './editor.css';
import { installStepLook } from './ui/step-look';

// The web host's address carries its access token once; the cookie it set does the rest. Take
// the token out of the address bar so it does not linger in history or get copied around.
const address = new URL(window.location.href);
if (address.searchParams.has('token')) {
  address.searchParams.delete('token');
  window.history.replaceState(null, '', `${address.pathname}${address.search}${address.hash}`);
}

installStepLook();

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
