import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startI18n } from '../i18n/index.ts';
import { App } from './App.tsx';
import { loadDisplay } from './app/preferences.ts';
import './app/theme.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html lacks #root');
const { locale } = loadDisplay(localStorage, navigator.languages);
document.documentElement.lang = locale;
void startI18n(locale).then(() =>
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
