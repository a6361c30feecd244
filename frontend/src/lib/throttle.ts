// "Too many attempts" (429) on forms that guard passwords: the server says how long to
// wait (Retry-After); the form counts it down and stays locked until then.
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import i18n from '../i18n';

/** Seconds left until `until` (a Date.now() timestamp), ticking once a second. */
export function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!until) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [until]);
  return until ? Math.max(0, Math.ceil((until - now) / 1000)) : 0;
}

export function throttledMessage(seconds: number): string {
  return i18n.t('shell:throttle.tooManyAttempts', { count: seconds });
}

export type Throttle = {
  /** True while the server asked to wait. */
  locked: boolean;
  secondsLeft: number;
  /** What to show while locked, else null. */
  message: string | null;
  /** Locks the form when `error` is a 429 and says whether it was one. */
  caught: (error: unknown) => boolean;
};

/** A form's lock after a 429; it opens by itself when the wait is over. */
export function useThrottle(): Throttle {
  const [until, setUntil] = useState<number | null>(null);
  const secondsLeft = useCountdown(until);
  useEffect(() => {
    if (until && secondsLeft === 0) setUntil(null);
  }, [until, secondsLeft]);
  const locked = secondsLeft > 0;
  return {
    locked,
    secondsLeft,
    message: locked ? throttledMessage(secondsLeft) : null,
    caught: (error) => {
      if (!(error instanceof ApiError && error.status === 429)) return false;
      setUntil(Date.now() + (error.retryAfter ?? 30) * 1000);
      return true;
    },
  };
}
