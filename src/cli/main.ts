/** Entry point of the gomod-dl command; returns the process exit status. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('gomod-dl: not implemented yet\n');
  return 2;
}
