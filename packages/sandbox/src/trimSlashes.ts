/** `path` without leading and trailing slashes; a loop, since `/^\/+|\/+$/g` is quadratic on a long run of them. */
export function trimSlashes(path: string): string {
  let start = 0;
  let end = path.length;
  while (start < end && path[start] === '/') start++;
  while (end > start && path[end - 1] === '/') end--;
  return path.slice(start, end);
}
