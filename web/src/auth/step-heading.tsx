import { Title } from '@mantine/core';
import { type ReactNode, useEffect, useRef } from 'react';

interface StepHeadingProps {
  children: ReactNode;
  id?: string;
  /** Heading level: 2 on the sign-in screen, 3 inside a section of the profile. @default 2 */
  order?: 2 | 3;
  /** Move focus here when the step appears, so keyboard and screen-reader users know it changed. */
  focusOnMount?: boolean;
}

/** The heading of one step of a multi-step form. */
export function StepHeading({ children, id, order = 2, focusOnMount = false }: StepHeadingProps) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, [focusOnMount]);
  return (
    <Title order={order} fz={order === 2 ? 'h3' : 'h4'} id={id} ref={ref} tabIndex={-1} data-page-heading>
      {children}
    </Title>
  );
}
