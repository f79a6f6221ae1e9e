import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { enterpriseHostFromApiUrl } from '../src/runtimes/action/actionEnvironment.ts';
import { ACTION_INPUTS, ACTION_OUTPUTS, type ActionInput } from '../src/runtimes/action/actionManifest.ts';

interface ActionYml {
  inputs?: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

const manifest = yaml.load(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as ActionYml;

describe('action.yml', () => {
  it('declares exactly the inputs of the registry, with the same defaults', () => {
    expect(Object.keys(manifest.inputs ?? {}).sort()).toEqual(Object.keys(ACTION_INPUTS).sort());
    for (const [name, input] of Object.entries(ACTION_INPUTS) as [string, ActionInput][]) {
      const declared = manifest.inputs?.[name];
      expect(declared?.description, name).toBe(input.description);
      expect(declared?.required ?? false, name).toBe(input.required);
      expect(declared?.default, name).toBe(input.default);
    }
  });

  it('declares exactly the outputs of the registry', () => {
    expect(Object.keys(manifest.outputs ?? {}).sort()).toEqual(Object.keys(ACTION_OUTPUTS).sort());
  });

  it('runs the committed bundle', () => {
    expect(manifest.runs.main).toBe('dist/index.js');
    expect(readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8').length).toBeGreaterThan(1000);
  });
});

describe('enterpriseHostFromApiUrl', () => {
  it('keeps github.com on Probot defaults', () => {
    expect(enterpriseHostFromApiUrl('https://api.github.com')).toBeUndefined();
    expect(enterpriseHostFromApiUrl(undefined)).toBeUndefined();
    expect(enterpriseHostFromApiUrl('not a url')).toBeUndefined();
  });
  it('turns a GHES API URL into GHE_HOST and protocol', () => {
    expect(enterpriseHostFromApiUrl('https://ghe.example.com/api/v3')).toEqual({ host: 'ghe.example.com', protocol: 'https' });
    expect(enterpriseHostFromApiUrl('http://127.0.0.1:3001/api/v3')).toEqual({ host: '127.0.0.1:3001', protocol: 'http' });
  });
});
