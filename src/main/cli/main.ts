export async function main(argv: string[]): Promise<number> {
  console.log("lifeboat", argv.join(" "));
  return 0;
}
