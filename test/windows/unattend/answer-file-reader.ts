/**
 * Reading a generated answer file back, the way Setup sees it: parsed with the project's XML
 * parser, then flattened into one line per setting ("pass component path = value") so a test
 * can say exactly which settings an option produced, and nothing else.
 */
import { attribute, childElements, parseXml, textOf, type XmlElement } from '../../../src/main/wim/xml/xml-dom'

export interface Component {
  pass: string
  name: string
  architecture: string
  element: XmlElement
}

export function components(xml: string): Component[] {
  return childElements(parseXml(xml), 'settings').flatMap((settings) =>
    childElements(settings, 'component').map((element) => ({
      pass: attribute(settings, 'pass') ?? '',
      name: attribute(element, 'name') ?? '',
      architecture: attribute(element, 'processorArchitecture') ?? '',
      element,
    })),
  )
}

/** The component of a pass for one architecture; fails the test when it is missing. */
export function component(xml: string, pass: string, name: string, architecture = 'amd64'): XmlElement {
  const found = components(xml).find((c) => c.pass === pass && c.name === name && c.architecture === architecture)
  if (!found) throw new Error(`no ${name} (${architecture}) in ${pass}`)
  return found.element
}

/**
 * Every setting of the amd64 components as "pass component path = value". A list entry is
 * named by its position ("LocalAccount[1]"); a RunSynchronous command is given as its command
 * line only, its Order and Description being checked on their own.
 */
export function settingLines(xml: string): string[] {
  return components(xml)
    .filter((c) => c.architecture === 'amd64')
    .flatMap((c) => leaves(c.element, []).map((leaf) => `${c.pass} ${c.name} ${leaf}`))
}

function leaves(element: XmlElement, path: string[]): string[] {
  const seen = new Map<string, number>()
  return childElements(element).flatMap((child) => {
    const count = (seen.get(child.name) ?? 0) + 1
    seen.set(child.name, count)
    const name = attribute(child, 'wcm:action') === 'add' ? `${child.name}[${count}]` : child.name
    if (child.name === 'RunSynchronousCommand') return [`${[...path, name].join('/')} = ${textOf(childElements(child, 'Path')[0])}`]
    if (childElements(child).length > 0) return leaves(child, [...path, name])
    return [`${[...path, name].join('/')} = ${textOf(child)}`]
  })
}
