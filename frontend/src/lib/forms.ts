import { useEffect } from 'react';
import { ApiError, errorMessage } from '../api/client';

type FieldErrorSetter = {
  setFieldError: (path: string, error: string) => void;
  getValues: () => Record<string, unknown>;
};

/**
 * Puts a server error on the form field it names (422 and 409 answers carry `field`).
 * Returns the message to show above the form when no field of this form matches, or
 * null when it was placed on a field. `aliases` maps server field names to form paths.
 */
export function applyServerError(
  form: FieldErrorSetter,
  error: unknown,
  aliases: Record<string, string> = {},
): string | null {
  if (error instanceof ApiError && error.field) {
    const path = aliases[error.field] ?? error.field;
    if (path in form.getValues()) {
      form.setFieldError(path, error.message);
      return null;
    }
  }
  return errorMessage(error);
}

/**
 * A dialog's form starts again from `values()` each time the dialog opens (`then` clears
 * what else the last opening left, such as its error). Only on opening: the form is a new
 * object every render.
 */
export function useFormOnOpen<T>(opened: boolean, form: { setInitialValues(v: T): void; reset(): void }, values: () => T, then?: () => void) {
  useEffect(() => {
    if (!opened) return;
    form.setInitialValues(values());
    form.reset();
    then?.();
  }, [opened]);
}
