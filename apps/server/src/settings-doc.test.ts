import { describeSettingsDoc } from '@tickfolio/testing/settings-doc';
import { SETTING_NAMES, settingDefaults } from './config';

describeSettingsDoc('Server (and notifier)', SETTING_NAMES, settingDefaults());
