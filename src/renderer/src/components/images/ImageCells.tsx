import { Table } from '@mantine/core'
import type { ReactNode } from 'react'
import { formatBytes } from '../../../../shared/format'
import type { WimImageSummary } from '../../../../shared/wim'

function version(image: WimImageSummary): string {
  return image.version ?? (image.build === null ? '—' : `build ${image.build}`)
}

/** The header cells that name what ImageCells shows; a page's own columns go before the size. */
export function ImageHeaderCells({ sizeLabel = 'Size', children }: { sizeLabel?: string; children?: ReactNode }) {
  return (
    <>
      <Table.Th w={60}>Index</Table.Th>
      <Table.Th>Name</Table.Th>
      <Table.Th>Edition</Table.Th>
      <Table.Th>Architecture</Table.Th>
      <Table.Th>Version</Table.Th>
      <Table.Th>Languages</Table.Th>
      {children}
      <Table.Th ta="right">{sizeLabel}</Table.Th>
    </>
  )
}

/** What tells the images of a WIM apart, as table cells: the Images page and the media wizard list editions alike. */
export function ImageCells({ image, children }: { image: WimImageSummary; children?: ReactNode }) {
  return (
    <>
      <Table.Td>{image.index}</Table.Td>
      <Table.Td fw={500}>{image.name ?? '(unnamed)'}</Table.Td>
      <Table.Td>{image.editionId ?? image.flags ?? '—'}</Table.Td>
      <Table.Td>{image.architecture ?? '—'}</Table.Td>
      <Table.Td>{version(image)}</Table.Td>
      <Table.Td>{image.languages.join(', ') || '—'}</Table.Td>
      {children}
      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
        {formatBytes(image.totalBytes)}
      </Table.Td>
    </>
  )
}
