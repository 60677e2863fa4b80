import { createTheme, RadioCard } from '@mantine/core'
import classes from './theme.module.css'

export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "Cascadia Mono", "Segoe UI Mono", Menlo, Consolas, monospace',
  headings: { fontWeight: '600' },
  components: {
    RadioCard: RadioCard.extend({ classNames: { card: classes.radioCard } }),
  },
})
