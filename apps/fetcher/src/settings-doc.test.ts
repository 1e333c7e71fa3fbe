import { describeSettingsDoc } from '@tickfolio/testing/settings-doc';
import { SETTING_NAMES, settingDefaults } from './config';

describeSettingsDoc('Fetcher', SETTING_NAMES, settingDefaults());
