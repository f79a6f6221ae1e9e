/** The form body that confirms an acknowledgement, as the confirm page posts it. */
export function confirmBody(confirm: string): string {
  return new URLSearchParams({ confirm }).toString();
}
