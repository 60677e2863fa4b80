/**
 * A generated XML document laid out for people: the UI shows the answer file before it is
 * written, and technicians open it in Notepad. Elements holding only text stay on one line,
 * which keeps every value exactly as it was (no whitespace is added inside text).
 */
import { escapeXml, serializeXml, type XmlElement } from '../../wim/xml/xml-dom'

const INDENT = '  '

export function formatXmlDocument(root: XmlElement): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${formatElement(root, '')}\n`
}

function formatElement(element: XmlElement, indent: string): string {
  const elements = element.children.filter((c): c is XmlElement => typeof c !== 'string')
  if (elements.length === 0 || elements.length < element.children.length) return indent + serializeXml(element)
  const attributes = element.attributes.map(([name, value]) => ` ${name}="${escapeXml(value)}"`).join('')
  const inner = elements.map((child) => formatElement(child, indent + INDENT)).join('\n')
  return `${indent}<${element.name}${attributes}>\n${inner}\n${indent}</${element.name}>`
}
