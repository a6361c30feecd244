import type { KeyboardEvent } from 'react';

// The keys of a message composer. (The project Discussions tab has its own copy in
// pages/projects/DiscussionDialogs.tsx; both say the same so the two composers agree.)

/** "⌘" on a Mac, "Ctrl" elsewhere: the key that sends with Enter. */
export const SEND_KEY = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘' : 'Ctrl';

/** Ctrl+Enter (⌘+Enter) submits the textarea's form; Enter alone stays a new line. */
export function submitOnModEnter(e: KeyboardEvent<HTMLTextAreaElement>) {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    e.currentTarget.form?.requestSubmit();
  }
}
