import { Button, CopyButton } from '@mantine/core';
import { CheckIcon, CopyIcon } from './icons.tsx';

interface CopyTextButtonProps {
  value: string;
  /** What is copied, for the button's label, e.g. "password". */
  what: string;
}

/** Copies `value` to the clipboard and says so. */
export function CopyTextButton({ value, what }: CopyTextButtonProps) {
  return (
    <CopyButton value={value} timeout={3000}>
      {({ copied, copy }) => (
        <Button
          variant={copied ? 'light' : 'default'}
          size="xs"
          onClick={copy}
          leftSection={copied ? <CheckIcon size={16} /> : <CopyIcon size={16} />}
          aria-live="polite"
        >
          {copied ? 'Copied' : `Copy ${what}`}
        </Button>
      )}
    </CopyButton>
  );
}
