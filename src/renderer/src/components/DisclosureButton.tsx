import { Button } from '@mantine/core'
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react'
import type { ReactNode } from 'react'

/** The quiet chevron button that shows or hides a section below it. */
export function DisclosureButton({ open, onToggle, children }: { open: boolean; onToggle: () => void; children: ReactNode }) {
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      color="gray"
      aria-expanded={open}
      leftSection={open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
      onClick={onToggle}
    >
      {children}
    </Button>
  )
}
