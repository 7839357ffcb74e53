import { useEffect, useState } from 'react';

/** Milliseconds left until `iso` (never below 0), updated every second; null without a deadline. */
export function useCountdown(iso: string | null): number | null {
  const deadline = iso ? Date.parse(iso) : Number.NaN;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (Number.isNaN(deadline)) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [deadline]);
  if (Number.isNaN(deadline)) return null;
  return Math.max(0, deadline - now);
}

/** 872_000 → "14:32". */
export function countdownLabel(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}
