import { type ReactNode, useEffect, useRef } from 'react';

/**
 * Scrolls its content into view when it appears: a hold's countdown or "someone just took this slot"
 * shows above the options, out of sight of the button the coordinator pressed at the bottom of a card.
 */
export function Reveal({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <div ref={ref} style={{ scrollMarginTop: 72 }}>
      {children}
    </div>
  );
}
