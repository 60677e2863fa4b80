import type { WimImageSummary } from '../../../shared/wim'
import { encodeUtf16le } from '../../io/utf16'
import { corrupt } from '../format-error'
import { filetimeToIso } from '../filetime'
import { attribute, childElements, firstChild, parseXml, serializeXml, setChildText, textAt, textOf, XmlSyntaxError, type XmlElement } from './xml-dom'

/** What the XML says about one image: what a technician picks an edition by. */
export type WimImageInfo = WimImageSummary

export interface WimInfo {
  /** The whole <WIM> element, kept so what we do not model survives a rewrite. */
  root: XmlElement
  images: WimImageInfo[]
}

/** PROCESSOR_ARCHITECTURE values Windows images record. */
const ARCHITECTURES: Record<string, string> = { '0': 'x86', '5': 'arm', '6': 'ia64', '9': 'x64', '12': 'arm64' }

function integer(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null
  const value = Number(text.trim())
  return Number.isSafeInteger(value) && value >= 0 ? value : null
}

function timeOf(element: XmlElement | undefined): string | null {
  if (!element) return null
  const high = textAt(element, ['HIGHPART'])
  const low = textAt(element, ['LOWPART'])
  if (high === undefined || low === undefined) return null
  try {
    return filetimeToIso((BigInt(high.trim()) << 32n) | (BigInt(low.trim()) & 0xffffffffn))
  } catch {
    return null
  }
}

function nonEmpty(text: string | undefined): string | null {
  return text === undefined || text === '' ? null : text
}

export function describeImage(image: XmlElement, index: number): WimImageInfo {
  const windows = firstChild(image, 'WINDOWS')
  const versionEl = windows && firstChild(windows, 'VERSION')
  const version = versionEl
    ? ['MAJOR', 'MINOR', 'BUILD', 'SPBUILD'].map((k) => textAt(versionEl, [k])?.trim() ?? '0').join('.')
    : null
  const languagesEl = windows && firstChild(windows, 'LANGUAGES')
  const arch = windows ? textAt(windows, ['ARCH'])?.trim() : undefined
  return {
    index,
    name: nonEmpty(textAt(image, ['NAME'])),
    description: nonEmpty(textAt(image, ['DESCRIPTION'])),
    displayName: nonEmpty(textAt(image, ['DISPLAYNAME'])),
    displayDescription: nonEmpty(textAt(image, ['DISPLAYDESCRIPTION'])),
    flags: nonEmpty(textAt(image, ['FLAGS'])),
    editionId: windows ? nonEmpty(textAt(windows, ['EDITIONID'])) : null,
    productName: windows ? nonEmpty(textAt(windows, ['PRODUCTNAME'])) : null,
    installationType: windows ? nonEmpty(textAt(windows, ['INSTALLATIONTYPE'])) : null,
    productType: windows ? nonEmpty(textAt(windows, ['PRODUCTTYPE'])) : null,
    architecture: arch === undefined ? null : (ARCHITECTURES[arch] ?? `unknown (${arch})`),
    version,
    build: versionEl ? integer(textAt(versionEl, ['BUILD'])) : null,
    languages: languagesEl ? childElements(languagesEl, 'LANGUAGE').map((l) => textOf(l) ?? '').filter(Boolean) : [],
    defaultLanguage: languagesEl ? nonEmpty(textAt(languagesEl, ['DEFAULT'])) : null,
    dirCount: integer(textAt(image, ['DIRCOUNT'])),
    fileCount: integer(textAt(image, ['FILECOUNT'])),
    totalBytes: integer(textAt(image, ['TOTALBYTES'])),
    hardLinkBytes: integer(textAt(image, ['HARDLINKBYTES'])),
    creationTime: timeOf(firstChild(image, 'CREATIONTIME')),
    lastModificationTime: timeOf(firstChild(image, 'LASTMODIFICATIONTIME')),
  }
}

/** The images of the XML, ordered by their INDEX attribute (which must run 1..n). */
export function imageElements(root: XmlElement): XmlElement[] {
  return childElements(root, 'IMAGE').sort((a, b) => Number(attribute(a, 'INDEX')) - Number(attribute(b, 'INDEX')))
}

/** Decodes the UTF-16LE XML resource (with or without BOM). */
export function parseWimXml(bytes: Uint8Array, file: string, offset: number, imageCount: number): WimInfo {
  if (bytes.length % 2 !== 0) throw corrupt(file, 'XML data', offset, 'odd length for UTF-16 text')
  let text = new TextDecoder('utf-16le', { fatal: false }).decode(bytes)
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  text = text.replace(/\0+$/, '')
  let root: XmlElement
  try {
    root = parseXml(text)
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw corrupt(file, 'XML data', offset, error.message)
    throw error
  }
  if (root.name !== 'WIM') throw corrupt(file, 'XML data', offset, `root element is <${root.name}>, expected <WIM>`)
  const images = imageElements(root)
  images.forEach((image, i) => {
    const index = Number(attribute(image, 'INDEX'))
    if (index !== i + 1) throw corrupt(file, 'XML data', offset, `image ${i + 1} has INDEX="${attribute(image, 'INDEX') ?? ''}"`)
  })
  if (images.length !== imageCount) {
    throw corrupt(file, 'XML data', offset, `describes ${images.length} images but the header says ${imageCount}`)
  }
  return { root, images: images.map((el, i) => describeImage(el, i + 1)) }
}

/** The XML resource as Microsoft's tools write it: UTF-16LE with a byte-order mark. */
export function serializeWimXml(root: XmlElement, totalBytes: number | null): Uint8Array {
  if (totalBytes !== null) setChildText(root, 'TOTALBYTES', String(totalBytes))
  return encodeUtf16le(`\ufeff${serializeXml(root)}`)
}
