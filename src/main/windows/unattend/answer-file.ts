/**
 * An answer file being put together: settings filed by configuration pass and component, the
 * way Microsoft's unattend reference places each one ("valid configuration passes", "parent
 * hierarchy"), rendered as one XML document with a copy of every component for each target
 * architecture.
 */
import type { UnattendArchitecture, UnattendOptions } from '../../../shared/unattend'
import type { XmlElement } from '../../wim/xml/xml-dom'
import { formatXmlDocument } from './format-xml'

export const UNATTEND_NAMESPACE = 'urn:schemas-microsoft-com:unattend'
export const WCM_NAMESPACE = 'http://schemas.microsoft.com/WMIConfig/2002/State'
/** The public key token of every Windows component (Microsoft's signing key). */
export const PUBLIC_KEY_TOKEN = '31bf3856ad364e35'

/** The configuration passes, in the order Setup runs them; the document lists them in this order. */
export const PASSES = ['windowsPE', 'offlineServicing', 'generalize', 'specialize', 'auditSystem', 'auditUser', 'oobeSystem'] as const
export type Pass = (typeof PASSES)[number]

export type Component =
  | 'Microsoft-Windows-Deployment'
  | 'Microsoft-Windows-International-Core'
  | 'Microsoft-Windows-International-Core-WinPE'
  | 'Microsoft-Windows-Setup'
  | 'Microsoft-Windows-Shell-Setup'

/** Nested settings below a component: a name maps to its text, or to the settings inside it. */
export interface Settings {
  [name: string]: string | Settings
}

/** Passes that can run commands, and the component whose RunSynchronous list does it there. */
const COMMAND_RUNNERS = {
  windowsPE: 'Microsoft-Windows-Setup',
  specialize: 'Microsoft-Windows-Deployment',
} as const satisfies Partial<Record<Pass, Component>>
export type CommandPass = keyof typeof COMMAND_RUNNERS

/** One option's part of the answer file: reads the options, writes the settings that option owns. */
export type OptionWriter = (options: UnattendOptions, file: AnswerFile) => void

export class AnswerFile {
  private readonly components = new Map<`${Pass}|${Component}`, XmlElement>()
  private readonly notes: string[] = []

  /** Sets settings below a component. Each setting belongs to one option, so a second value for one is a bug. */
  set(pass: Pass, component: Component, settings: Settings): void {
    mergeSettings(this.body(pass, component), settings, `${pass}/${component}`)
  }

  /** Appends an entry to a list setting (LocalAccounts, RunSynchronous, ...): Setup adds it to what the image has. */
  addListItem(pass: Pass, component: Component, listPath: readonly string[], itemName: string, settings: Settings): void {
    this.listAt(pass, component, listPath).children.push(listItem(itemName, settings, `${pass}/${component}/${listPath.join('/')}`))
  }

  /** Runs a command line synchronously during the pass, after the commands added before it. */
  runCommand(pass: CommandPass, description: string, commandLine: string): void {
    const component = COMMAND_RUNNERS[pass]
    const list = this.listAt(pass, component, ['RunSynchronous'])
    const order = String(list.children.length + 1)
    list.children.push(listItem('RunSynchronousCommand', { Description: description, Order: order, Path: commandLine }, `${pass}/${component}`))
  }

  has(pass: Pass, component: Component): boolean {
    return this.components.has(`${pass}|${component}`)
  }

  /** Something the technician should know before writing this file to media. */
  warn(message: string): void {
    this.notes.push(message)
  }

  get warnings(): string[] {
    return [...this.notes]
  }

  /** The document, with each component written once per architecture, in pass order and then by name. */
  toXml(architectures: readonly UnattendArchitecture[]): string {
    const passes = PASSES.flatMap((pass) => {
      const components = [...this.components.entries()]
        .filter(([key]) => key.startsWith(`${pass}|`))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .flatMap(([, body]) => architectures.map((architecture) => componentElement(body, architecture)))
      return components.length > 0 ? [{ name: 'settings', attributes: [['pass', pass]], children: components } satisfies XmlElement] : []
    })
    return formatXmlDocument({
      name: 'unattend',
      attributes: [
        ['xmlns', UNATTEND_NAMESPACE],
        ['xmlns:wcm', WCM_NAMESPACE],
      ],
      children: passes,
    })
  }

  private listAt(pass: Pass, component: Component, path: readonly string[]): XmlElement {
    return path.reduce(childElement, this.body(pass, component))
  }

  private body(pass: Pass, component: Component): XmlElement {
    const key = `${pass}|${component}` as const
    let body = this.components.get(key)
    if (!body) {
      body = { name: component, attributes: [], children: [] }
      this.components.set(key, body)
    }
    return body
  }
}

function componentElement(body: XmlElement, architecture: UnattendArchitecture): XmlElement {
  return {
    name: 'component',
    attributes: [
      ['name', body.name],
      ['processorArchitecture', architecture],
      ['publicKeyToken', PUBLIC_KEY_TOKEN],
      ['language', 'neutral'],
      ['versionScope', 'nonSxS'],
    ],
    children: sortedChildren(body),
  }
}

// Settings in name order, as Windows SIM writes them, so the output does not depend on which
// option was written first; entries of one list keep their order (the sort is stable).
function sortedChildren(element: XmlElement): XmlElement['children'] {
  const elements = element.children.filter((c): c is XmlElement => typeof c !== 'string')
  if (elements.length < element.children.length) return element.children
  return elements.map((child) => ({ ...child, children: sortedChildren(child) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function childElement(parent: XmlElement, name: string): XmlElement {
  const existing = parent.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === name)
  if (existing) return existing
  const created: XmlElement = { name, attributes: [], children: [] }
  parent.children.push(created)
  return created
}

function listItem(name: string, settings: Settings, where: string): XmlElement {
  const item: XmlElement = { name, attributes: [['wcm:action', 'add']], children: [] }
  mergeSettings(item, settings, `${where}/${name}`)
  return item
}

function mergeSettings(parent: XmlElement, settings: Settings, where: string): void {
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value !== 'string') {
      mergeSettings(childElement(parent, name), value, `${where}/${name}`)
      continue
    }
    if (parent.children.some((c) => typeof c !== 'string' && c.name === name)) throw new Error(`${where}/${name} is set twice`)
    parent.children.push({ name, attributes: [], children: value === '' ? [] : [value] })
  }
}
