import type { WimCompression } from '../../../../shared/wim'

export const COMPRESSION_CHOICES: Array<{ value: WimCompression; label: string }> = [
  { value: 'lzx', label: 'LZX — maximum (what DISM /Compress:max writes)' },
  { value: 'xpress', label: 'XPRESS — fast' },
  { value: 'lzms', label: 'LZMS — smallest, slowest' },
  { value: 'none', label: 'None' },
]
