import { Table, VisuallyHidden } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';
import { ExpandButton } from './expand-button.tsx';

/** The header of the expand buttons' column: no visible text, but a name for screen readers. */
export function ExpandColumnHeader({ label }: { label: string }) {
  return (
    <Table.Th w={44}>
      <VisuallyHidden>{label}</VisuallyHidden>
    </Table.Th>
  );
}

interface ExpandableRowProps {
  open: boolean;
  onToggle: () => void;
  /** The details row's id, which the expand button controls; unique on the page. */
  detailsId: string;
  /** What opens, for the button's label, e.g. "sites of Aurora". */
  what: string;
  /** Columns after the expand button's, which the details span. */
  colSpan: number;
  details: ReactNode;
  style?: CSSProperties;
  /** The row's cells after the expand button. */
  children: ReactNode;
}

/** A table row that opens a details row under it, indented past the expand button's column. */
export function ExpandableRow({
  open,
  onToggle,
  detailsId,
  what,
  colSpan,
  details,
  style,
  children,
}: ExpandableRowProps) {
  return (
    <>
      <Table.Tr style={style}>
        <Table.Td>
          <ExpandButton expanded={open} onToggle={onToggle} controls={detailsId} what={what} />
        </Table.Td>
        {children}
      </Table.Tr>
      {open ? (
        <Table.Tr id={detailsId} bg="var(--mantine-color-gray-0)">
          <Table.Td />
          <Table.Td colSpan={colSpan}>{details}</Table.Td>
        </Table.Tr>
      ) : null}
    </>
  );
}
