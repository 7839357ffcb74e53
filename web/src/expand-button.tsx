import { ActionIcon } from '@mantine/core';
import { ChevronRightIcon } from './icons.tsx';

interface ExpandButtonProps {
  expanded: boolean;
  onToggle: () => void;
  /** Id of the element shown when expanded. */
  controls: string;
  /** What is shown, e.g. "details of Aurora Cell Therapeutics". */
  what: string;
}

/** Shows or hides a table row's details. */
export function ExpandButton({ expanded, onToggle, controls, what }: ExpandButtonProps) {
  return (
    <ActionIcon
      variant="subtle"
      color="gray"
      onClick={onToggle}
      aria-expanded={expanded}
      aria-controls={expanded ? controls : undefined}
      aria-label={`${expanded ? 'Hide' : 'Show'} ${what}`}
    >
      <span
        style={{
          display: 'inline-flex',
          transition: 'transform 120ms ease',
          transform: expanded ? 'rotate(90deg)' : 'none',
        }}
      >
        <ChevronRightIcon size={18} />
      </span>
    </ActionIcon>
  );
}
