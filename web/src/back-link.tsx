import { Anchor } from '@mantine/core';
import { Link } from 'react-router-dom';

/** "← All cases": the way back up from a detail page. */
export function BackLink({ to, label }: { to: string; label: string }) {
  return (
    <Anchor component={Link} to={to} size="sm" display="inline-block" mb="xs">
      ← {label}
    </Anchor>
  );
}
