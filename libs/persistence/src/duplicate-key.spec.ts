import { insertUnlessTaken } from './duplicate-key';

describe('insertUnlessTaken', () => {
  it('answers true when the insert is written', async () => {
    await expect(insertUnlessTaken(() => Promise.resolve({ _id: 'a' }))).resolves.toBe(true);
  });

  it('answers false when the key is taken (E11000)', async () => {
    await expect(
      insertUnlessTaken(() => Promise.reject(Object.assign(new Error('E11000'), { code: 11000 }))),
    ).resolves.toBe(false);
  });

  it('passes any other error on', async () => {
    await expect(insertUnlessTaken(() => Promise.reject(new Error('network')))).rejects.toThrow('network');
  });
});
