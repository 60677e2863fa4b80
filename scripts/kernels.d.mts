export function kernelSources(dir?: string): string[]
export function generatedModulePath(source: string): string
export function generatedModule(source: string): Promise<string>
