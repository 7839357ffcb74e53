import { Badge, type CSSVariablesResolver, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'teal',
  // Shade 9 keeps white text on filled teal (and red) above the WCAG AA contrast ratio of 4.5:1.
  primaryShade: { light: 9, dark: 5 },
  defaultRadius: 'md',
  focusRing: 'auto',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    // A status badge in a narrow table column keeps its whole word instead of shrinking to "ACT…".
    Badge: Badge.extend({ styles: { root: { minWidth: 'fit-content' } } }),
  },
});

/**
 * Mantine's default "dimmed" grey is 3.3:1 on white; this one stays readable (about 5.9:1). Likewise the
 * default error red (red 6, 3.3:1) is too light for the small text of field errors (red 9 is about 5.4:1),
 * and the text of light yellow and orange alerts and badges needs a darker shade than 9 (about 5.5:1).
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#5c636a',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-yellow-light-color': '#7a4a00',
    '--mantine-color-orange-light-color': '#9a3412',
  },
  dark: {},
});
