/**
 * The little XML a WIM carries: elements, attributes, text, entities. Parsed into a tree
 * that keeps every element and its order, so information we do not model (servicing data,
 * WIMBoot flags, vendor extensions) survives when we change an image's name and write the
 * XML back.
 */

export interface XmlElement {
  name: string
  attributes: Array<[string, string]>
  children: XmlNode[]
}

export type XmlNode = XmlElement | string

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at character ${position}`)
  }
}

const MAX_DEPTH = 256
const NAME_RE = /[A-Za-z_:][-A-Za-z0-9_:.]*/y
const ATTRIBUTE_RE = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/y
const ENTITY_RE = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

function decodeEntities(text: string): string {
  return text.replace(ENTITY_RE, (_, entity: string) => {
    if (entity[0] !== '#') return NAMED_ENTITIES[entity]!
    const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10)
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ''
  })
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
}

/** Parses a document and returns its root element. */
export function parseXml(source: string): XmlElement {
  let pos = 0
  const stack: XmlElement[] = []
  let root: XmlElement | null = null

  const skipMisc = (): boolean => {
    if (source.startsWith('<?', pos)) {
      const end = source.indexOf('?>', pos)
      if (end < 0) throw new XmlSyntaxError('unterminated processing instruction', pos)
      pos = end + 2
      return true
    }
    if (source.startsWith('<!--', pos)) {
      const end = source.indexOf('-->', pos)
      if (end < 0) throw new XmlSyntaxError('unterminated comment', pos)
      pos = end + 3
      return true
    }
    if (source.startsWith('<!DOCTYPE', pos)) throw new XmlSyntaxError('document type declarations are not allowed', pos)
    return false
  }

  while (pos < source.length) {
    const lt = source.indexOf('<', pos)
    const textEnd = lt < 0 ? source.length : lt
    if (textEnd > pos) {
      const text = source.slice(pos, textEnd)
      if (stack.length > 0) stack[stack.length - 1]!.children.push(decodeEntities(text))
      else if (text.trim()) throw new XmlSyntaxError('text outside the root element', pos)
      pos = textEnd
      continue
    }
    if (skipMisc()) continue
    if (source.startsWith('<![CDATA[', pos)) {
      const end = source.indexOf(']]>', pos)
      if (end < 0 || stack.length === 0) throw new XmlSyntaxError('bad CDATA section', pos)
      stack[stack.length - 1]!.children.push(source.slice(pos + 9, end))
      pos = end + 3
      continue
    }
    if (source.startsWith('</', pos)) {
      NAME_RE.lastIndex = pos + 2
      const match = NAME_RE.exec(source)
      const open = stack.pop()
      if (!match || !open || match[0] !== open.name) throw new XmlSyntaxError(`unexpected closing tag`, pos)
      pos = NAME_RE.lastIndex
      while (/\s/.test(source[pos] ?? '')) pos++
      if (source[pos] !== '>') throw new XmlSyntaxError('bad closing tag', pos)
      pos++
      if (stack.length === 0) root = open
      continue
    }
    // An opening tag.
    NAME_RE.lastIndex = pos + 1
    const match = NAME_RE.exec(source)
    if (!match) throw new XmlSyntaxError('bad tag name', pos)
    if (root) throw new XmlSyntaxError('more than one root element', pos)
    const element: XmlElement = { name: match[0], attributes: [], children: [] }
    pos = NAME_RE.lastIndex
    for (;;) {
      ATTRIBUTE_RE.lastIndex = pos
      const attr = ATTRIBUTE_RE.exec(source)
      if (!attr) break
      element.attributes.push([attr[1]!, decodeEntities(attr[3] ?? attr[4] ?? '')])
      pos = ATTRIBUTE_RE.lastIndex
    }
    while (/\s/.test(source[pos] ?? '')) pos++
    const selfClosing = source.startsWith('/>', pos)
    if (!selfClosing && source[pos] !== '>') throw new XmlSyntaxError(`bad tag <${element.name}>`, pos)
    pos += selfClosing ? 2 : 1
    if (stack.length > 0) stack[stack.length - 1]!.children.push(element)
    if (selfClosing) {
      if (stack.length === 0) root = element
    } else {
      if (stack.length >= MAX_DEPTH) throw new XmlSyntaxError('elements nested too deep', pos)
      stack.push(element)
    }
  }
  if (stack.length > 0) throw new XmlSyntaxError(`<${stack[stack.length - 1]!.name}> is never closed`, pos)
  if (!root) throw new XmlSyntaxError('no root element', 0)
  return root
}

export function serializeXml(element: XmlElement): string {
  const attrs = element.attributes.map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('')
  if (element.children.length === 0) return `<${element.name}${attrs}></${element.name}>`
  const inner = element.children.map((c) => (typeof c === 'string' ? escapeXml(c) : serializeXml(c))).join('')
  return `<${element.name}${attrs}>${inner}</${element.name}>`
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name))
}

export function firstChild(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === name)
}

export function textOf(element: XmlElement | undefined): string | undefined {
  if (!element) return undefined
  return element.children.filter((c): c is string => typeof c === 'string').join('')
}

/** The text of a descendant found by a path of element names, e.g. ['WINDOWS', 'VERSION', 'BUILD']. */
export function textAt(element: XmlElement, path: readonly string[]): string | undefined {
  let current: XmlElement | undefined = element
  for (const name of path) current = current && firstChild(current, name)
  return textOf(current)
}

/** Sets (creating, or removing when undefined) a child element holding only text. */
export function setChildText(element: XmlElement, name: string, text: string | undefined): void {
  const index = element.children.findIndex((c) => typeof c !== 'string' && c.name === name)
  if (text === undefined) {
    if (index >= 0) element.children.splice(index, 1)
    return
  }
  const child: XmlElement = { name, attributes: [], children: [text] }
  if (index >= 0) element.children[index] = child
  else element.children.push(child)
}

export function attribute(element: XmlElement, name: string): string | undefined {
  return element.attributes.find(([k]) => k === name)?.[1]
}
