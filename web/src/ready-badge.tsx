import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { checkReady, databaseLabel, type ReadyState } from './ready-status.ts';

const POLL_INTERVAL_MS = 30_000;

function useReadyState(): ReadyState {
  const [state, setState] = useState<ReadyState>({ kind: 'checking' });
  useEffect(() => {
    let controller = new AbortController();
    const poll = () => {
      controller.abort();
      controller = new AbortController();
      const { signal } = controller;
      checkReady(signal).then(
        (next) => {
          if (!signal.aborted) setState(next);
        },
        () => {
          // Aborted: a newer check or unmount superseded this one.
        },
      );
    };
    poll();
    const timer = window.setInterval(poll, POLL_INTERVAL_MS);
    return () => {
      window.clearInterval(timer);
      controller.abort();
    };
  }, []);
  return state;
}

/** Header badge showing whether the server and its database are ready; re-checks every 30 seconds. */
export function ReadyBadge() {
  const state = useReadyState();

  if (state.kind === 'checking') {
    return (
      <Badge color="gray" variant="dot" size="lg" role="status">
        Checking server…
      </Badge>
    );
  }

  if (state.kind === 'ready') {
    const description = `Connected to ${databaseLabel(state.database)}, ${state.migrations} migration${
      state.migrations === 1 ? '' : 's'
    } applied. Checked at ${state.checkedAt.toLocaleTimeString()}.`;
    return (
      <Tooltip label={description} withArrow>
        <Badge
          color="green"
          variant="dot"
          size="lg"
          role="status"
          aria-label={`Database ready. ${description}`}
          tabIndex={0}
        >
          Database ready
        </Badge>
      </Tooltip>
    );
  }

  const description = [state.title, state.detail, `Checked at ${state.checkedAt.toLocaleTimeString()}`]
    .filter((part): part is string => Boolean(part))
    .map((part) => (/[.!?]$/.test(part) ? part : `${part}.`))
    .join(' ');
  return (
    <Tooltip label={description} withArrow multiline w={320}>
      <Group gap="xs" wrap="nowrap" role="status" aria-label={`Not ready: ${description}`} tabIndex={0}>
        <Badge color="red" variant="filled" size="lg">
          Not ready
        </Badge>
        <Text size="sm" c="red.9" fw={500} truncate="end" maw={220} visibleFrom="xs">
          {state.title}
        </Text>
      </Group>
    </Tooltip>
  );
}
