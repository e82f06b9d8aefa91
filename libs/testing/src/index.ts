export { startPortal, appEntry, APP_NAMES, freePort } from './portal';
export type { AppName, Portal, StartPortalOptions } from './portal';
export { MailpitClient } from './mailpit-client';
export type { MailpitMessage, MailpitMessageSummary } from './mailpit-client';
export { collectEvents, kafkaCredentials, kafkaSasl, produce, provisionKafkaPrefix } from './kafka';
export type { CollectedEvent, CollectOptions, EventCollector, KafkaHelperOptions, ProducedMessage } from './kafka';
export { waitFor } from './wait-for';
export { raceInProcesses, showsLostUpdate } from './process-race';
export type { WaitForOptions } from './wait-for';
export {
  PortalClient,
  createUser,
  createLabel,
  createAddress,
  createPickup,
  createOrder,
  createSupportCase,
  emailedCode,
  login,
  pickupBody,
  registrationBody,
  uniqueTag,
  TEST_FROM,
  TEST_TO,
  TEST_CARD_PAYMENT,
  TEST_HOME_ADDRESS,
  verificationCodeEvents,
} from './factories';
export type { CallOptions, CreatedAddress, CreatedLabel, HttpResult, TestUser, TokenPair } from './factories';
export { impbElementString, pdfImages, readBarcode, zplGs1ElementString } from './barcodes';
