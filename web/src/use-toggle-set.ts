import { useState } from 'react';

/** Which rows of a table are open; each opens and closes on its own. */
export function useToggleSet(): { isOpen: (id: string) => boolean; toggle: (id: string) => void } {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return { isOpen: (id) => open.has(id), toggle };
}
