import { describe } from 'vitest';
import { blobStoreContract } from './blob-store.contract';
import { startDiskStoreWithGateway } from './disk-store-gateway.fixture';

describe('disk blob store', () => {
  blobStoreContract(startDiskStoreWithGateway);
});
