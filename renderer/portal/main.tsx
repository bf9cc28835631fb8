import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startI18n } from '../i18n/index.ts';
import { loadDisplay } from '../src/app/preferences.ts';
import '../src/app/theme.css';
import './portal.css';
import { PortalApp } from './PortalApp.tsx';
import { registerPortalTexts } from './texts.ts';

/** The partner portal's entry (renderer/portal/index.html): the desk's i18n and theme, its own screen. */
const container = document.getElementById('root');
if (container === null) throw new Error('portal/index.html lacks #root');
const { locale } = loadDisplay(localStorage, navigator.languages);
document.documentElement.lang = locale;
void startI18n(locale).then(() => {
  registerPortalTexts();
  createRoot(container).render(
    <StrictMode>
      <PortalApp />
    </StrictMode>,
  );
});
