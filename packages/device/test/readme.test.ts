import * as device from "@taskseq/device";
import * as model from "@taskseq/model";
import { describeReadmeBlocks } from "../../../test/helpers/readme-blocks.js";

describeReadmeBlocks(new URL("../README.md", import.meta.url), { ...model, ...device }, { blocks: 7, checks: 19 });
