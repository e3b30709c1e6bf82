/**
 * The privacy core: master keys (keyring), encryption of every Temporal payload
 * (payload codec), per-participant data keys for crypto-shredding and the sealed
 * values made with them. Node's own crypto, AES-256-GCM throughout.
 */
export {
  createKey,
  defaultKeysFile,
  describeKeys,
  keyFileSchema,
  Keyring,
  keySource,
  keysFile,
  loadKeyring,
  parseInlineKeys,
  parseKeyFile,
  readKeyFile,
  type KeyDescription,
  type KeyFile,
  type KeySource,
  type MasterKey,
} from './keyring';
export { DecryptionError, KeyFileError, MissingKeyError } from './errors';
export {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  isEncryptedPayload,
  METADATA_ENCRYPTION_KEY_ID,
  payloadKeyId,
  trajectoryDataConverter,
} from './payload-codec';
export {
  PARTICIPANT_REF_PATTERN,
  ParticipantKeyStore,
  participantKeysDir,
  type ParticipantKey,
  type ParticipantKeyInfo,
} from './participant-keys';
export { isSealedValue, openSealedForDisplay, seal, unseal, type DisplayedSealed, type UnsealResult } from './sealed';
