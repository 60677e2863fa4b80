/** Registry changes made by Setup's RunSynchronous commands, as reg.exe command lines. */

/** Sets a REG_DWORD value, creating the key, overwriting without asking (/f): Setup has no one to answer. */
export function regAddDword(key: string, name: string, data: number): string {
  return `reg.exe add "${key}" /v ${name} /t REG_DWORD /d ${data} /f`
}
