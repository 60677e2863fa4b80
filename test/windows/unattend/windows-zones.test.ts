import { describe, expect, it } from 'vitest'
import { CLDR_VERSION, WINDOWS_ZONES } from '../../../src/main/windows/unattend/windows-zones'
import { isWindowsTimeZone, WINDOWS_TIME_ZONE_IDS, windowsTimeZoneFor } from '../../../src/main/windows/unattend'
import { renderWindowsZonesModule } from './generate-windows-zones'

function cldr(entries: Array<[windowsId: string, territory: string, zones: string]>) {
  return {
    supplemental: {
      version: { _cldrVersion: '99' },
      windowsZones: { mapTimezones: entries.map(([other, territory, type]) => ({ mapZone: { _other: other, _territory: territory, _type: type } })) },
    },
  }
}

describe('the generator', () => {
  it("lists each Windows ID once, alphabetically, its territory-001 zone first and every zone once", () => {
    const module = renderWindowsZonesModule(
      cldr([
        ['W. Europe Standard Time', 'DE', 'Europe/Berlin Europe/Busingen'],
        ['W. Europe Standard Time', '001', 'Europe/Berlin'],
        ['UTC', 'ZZ', 'Etc/UTC Etc/GMT'],
        ['UTC', '001', 'Etc/UTC'],
      ]),
    )
    expect(module).toContain("export const CLDR_VERSION = '99'")
    expect(module).toContain(
      ["export const WINDOWS_ZONES: Readonly<Record<string, string>> = {", "  'UTC': 'Etc/UTC Etc/GMT',", "  'W. Europe Standard Time': 'Europe/Berlin Europe/Busingen',", '}'].join('\n'),
    )
  })

  it('refuses a zone CLDR maps to two Windows IDs', () => {
    expect(() => renderWindowsZonesModule(cldr([['A Standard Time', '001', 'Etc/X'], ['B Standard Time', 'ZZ', 'Etc/X']]))).toThrow(/Etc\/X maps to both/)
  })
})

describe('the generated table', () => {
  it('comes from a CLDR recent enough to know 2022-2024 rule changes', () => {
    expect(Number(CLDR_VERSION)).toBeGreaterThanOrEqual(44)
    expect(WINDOWS_TIME_ZONE_IDS.length).toBeGreaterThan(130)
    expect(WINDOWS_TIME_ZONE_IDS).toEqual([...WINDOWS_TIME_ZONE_IDS].sort((a, b) => (a < b ? -1 : 1)))
  })

  it("maps every zone back to its own Windows ID, the representative zone first", () => {
    for (const [id, zones] of Object.entries(WINDOWS_ZONES)) {
      for (const zone of zones.split(' ')) expect(windowsTimeZoneFor(zone), zone).toBe(id)
    }
    expect(WINDOWS_ZONES['Pacific Standard Time']!.split(' ')[0]).toBe('America/Los_Angeles')
  })

  it('knows the IDs technicians pick most and nothing that only looks like one', () => {
    for (const id of ['UTC', 'W. Europe Standard Time', 'Pacific Standard Time', 'China Standard Time', 'India Standard Time']) expect(isWindowsTimeZone(id), id).toBe(true)
    for (const id of ['Europe/Berlin', 'constructor', 'toString', 'Pacific Standard Time ']) expect(isWindowsTimeZone(id), id).toBe(false)
  })
})
