// Renderer entry. The React refresh preamble is imported as a module (not the inline <script>
// the plugin would inject) so the CSP can keep `script-src 'self'` in dev; in a build it is empty.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import { App } from './App';
import './i18n'; // the studio's language, before the first render
import './styles.css';
import './editor.css';
import { installStepLook } from './ui/step-look';

// The web host's access token (in the address's fragment) is taken by public/early-socket.js,
// which runs before this bundle (src-renderer/api/access-token.ts).
installStepLook();

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
