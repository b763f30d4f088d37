export * from './blob-download.route';
export * from './blob-key';
export * from './blob-store';
export * from './blob-url-signer';
export * from './content-disposition';
export * from './create-blob-store';
export * from './disk.driver';
export * from './s3.driver';
