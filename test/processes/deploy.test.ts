/**
 * Every model of the catalogue deploys to the engine through zeebe-node, as `npm start` and the modeler deploy
 * them: each gets version 1, and deploying the unchanged files again creates no new version.
 */
import { readFileSync } from 'node:fs';
import { PROCESSES, processFile } from '../../processes/catalogue';
import { deployXml, useTestEngine } from '../support/engineHarness';

const suite = useTestEngine();

async function deployAll() {
  const deployed = new Map<string, { version: number; processDefinitionKey: string }>();
  for (const { id } of PROCESSES) {
    const response = await deployXml(suite.zbc, `${id}.bpmn`, readFileSync(processFile(id), 'utf8'));
    for (const p of response.deployments.map((d) => d.process)) deployed.set(p.bpmnProcessId, { version: p.version, processDefinitionKey: p.processDefinitionKey });
  }
  return deployed;
}

it('deploys every model as version 1 of its process id', async () => {
  const first = await deployAll();
  expect([...first.keys()].sort()).toEqual(PROCESSES.map((p) => p.id).sort());
  for (const [, { version }] of first) expect(version).toBe(1);

  const again = await deployAll();
  for (const [id, { version, processDefinitionKey }] of again) {
    expect(version).toBe(1);
    expect(processDefinitionKey).toBe(first.get(id)?.processDefinitionKey);
  }
});
