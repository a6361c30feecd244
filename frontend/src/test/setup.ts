import { loadLanguage } from '../i18n';
// jsdom lacks a few browser APIs that Mantine uses.
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// A loaded machine (CI, or builds beside the tests) renders slowly: findBy… and waitFor
// wait up to 5 s for what a test expects, not 1 s. No test measures time with this.
configure({ asyncUtilTimeout: 5_000 });

// The app loads most texts when they are needed; tests render any screen and switch
// languages at once (i18n.changeLanguage), so every text is there from the start.
await loadLanguage('pt-BR');

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});

const { getComputedStyle } = window;
window.getComputedStyle = (elt: Element) => getComputedStyle(elt);
window.HTMLElement.prototype.scrollIntoView = () => {};

Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});

class ResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = ResizeObserver;

// Textarea autosize listens for font loading.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    value: { addEventListener: () => {}, removeEventListener: () => {}, ready: Promise.resolve() },
  });
}
