// Imported by workflows.ts with a `.js` specifier, so the smoke test covers how the bundler resolves it.
export function greetingFor(name: string): string {
  return `Hello, ${name}!`;
}
