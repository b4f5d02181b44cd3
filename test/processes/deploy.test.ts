/**
 * Every model of the catalogue deploys to the engine through zeebe-node, as `npm start` and the modeler deploy
 * them: each gets version 1, and deploying the unchanged files again creates no new version.
 */
import { PROCESSES } from '../../processes/catalogue';
import { deployProcessModels } from '../../processes/deployProcessModels';
import { useTestEngine } from '../support/engineHarness';

const suite = useTestEngine();

async function deployAll() {
  const deployed = await deployProcessModels(suite.zbc);
  return new Map(deployed.map((p) => [p.bpmnProcessId, p]));
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
